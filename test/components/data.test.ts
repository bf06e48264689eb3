import { strict as assert } from "node:assert";
import { TicketsTable } from "../../components/data/ticketsTable";
import { TICKET_TABLE } from "../../handlers/lib/ticketTable";
import { ProgramFailed, ProgramRun, RecordedResource, runProgram } from "../../tools/mocks/harness";
import { statementsOf } from "../support/policyJson";

const TABLE = "aws:dynamodb/table:Table";
const KEY = "aws:kms/key:Key";
const ACCOUNT = "111111111111"; // Pulumi.dev.yaml

describe("TicketsTable", () => {
    let run: ProgramRun;
    let table: RecordedResource;
    let key: RecordedResource;

    before(async () => {
        run = await runProgram({
            program: () => {
                const tickets = new TicketsTable("tickets", { deletionProtection: false });
                new TicketsTable("kept", { deletionProtection: true, keyDeletionWindowDays: 7 });
                return { ownerIndexName: tickets.ownerIndexName, kmsViaService: tickets.kmsViaService, keyArn: tickets.keyArn };
            },
        });
        table = run.named(TABLE, "tickets");
        key = run.named(KEY, "tickets-key");
    });

    it("encrypts the table with its own customer-managed key, rotated and slow to delete", () => {
        assert.deepEqual(table.inputs.serverSideEncryption, { enabled: true, kmsKeyArn: key.outputs.arn });
        assert.equal(key.inputs.enableKeyRotation, true);
        assert.equal(key.inputs.deletionWindowInDays, 30);
        assert.equal(run.named(KEY, "kept-key").inputs.deletionWindowInDays, 7);
        assert.equal(run.outputs.keyArn, key.outputs.arn);
        assert.equal(run.named("aws:kms/alias:Alias", "tickets-key").inputs.targetKeyId, key.outputs.keyId);
    });

    it("lets the account administer the key but use it only through DynamoDB in the table's region", () => {
        const statements = statementsOf(key.inputs.policy);
        assert.deepEqual(statements.map((s) => s.Sid), ["KeyAdministration", "KeyUseViaService"]);
        const [admin, use] = statements;
        for (const s of statements) assert.deepEqual(s.Principal, { AWS: `arn:aws:iam::${ACCOUNT}:root` });
        for (const dataAction of ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]) {
            assert.ok(!admin.Action.includes(dataAction), `administrators may ${dataAction} directly`);
            assert.ok(use.Action.includes(dataAction));
        }
        assert.deepEqual(use.Condition, {
            StringEquals: { "kms:ViaService": "dynamodb.eu-west-1.amazonaws.com", "kms:CallerAccount": ACCOUNT },
        });
        assert.equal(run.outputs.kmsViaService, "dynamodb.eu-west-1.amazonaws.com");
    });

    it("bills on demand and keeps point-in-time recovery", () => {
        assert.equal(table.inputs.billingMode, "PAY_PER_REQUEST");
        assert.deepEqual(table.inputs.pointInTimeRecovery, { enabled: true });
    });

    it("protects the table from deletion where the stack says so", () => {
        assert.equal(table.inputs.deletionProtectionEnabled, false);
        assert.equal(run.named(TABLE, "kept").inputs.deletionProtectionEnabled, true);
    });

    it("keys tickets and indexes them by owner exactly as the handlers expect", () => {
        const index = TICKET_TABLE.ownerIndex;
        assert.equal(table.inputs.hashKey, "id");
        assert.equal(table.inputs.rangeKey, undefined);
        assert.deepEqual(
            table.inputs.attributes,
            TICKET_TABLE.attributes.map((a) => ({ name: a.name, type: a.type })),
        );
        assert.deepEqual(table.inputs.globalSecondaryIndexes, [
            {
                name: "byOwner",
                keySchemas: [
                    { attributeName: "owner", keyType: "HASH" },
                    { attributeName: "createdAt", keyType: "RANGE" },
                ],
                projectionType: index.projectionType,
            },
        ]);
        assert.equal(run.outputs.ownerIndexName, "byOwner");
    });

    it("refuses a key deletion window KMS does not allow", () =>
        assert.rejects(
            runProgram({ program: () => void new TicketsTable("t", { deletionProtection: true, keyDeletionWindowDays: 3 }) }),
            (e: unknown) => e instanceof ProgramFailed && /keyDeletionWindowDays must be 7 to 30, got 3/.test(e.message),
        ));
});
