/**
 * One statement of a policy document as the program writes it (JSON), for tests that read documents back. What tests
 * read (Action, Resource, Principal, Condition) is typed as present: a missing one fails the test that reads it.
 */
export interface JsonStatement {
    Sid?: string;
    Effect: string;
    Action: string | string[];
    NotAction?: string | string[];
    Resource: string | string[];
    NotResource?: string | string[];
    Principal: Record<string, string | string[]>;
    Condition: Record<string, Record<string, unknown>>;
}

/** A document's statements: `Statement` may be one object or a list. */
export const statementsOf = (doc: string): JsonStatement[] => [(JSON.parse(doc) as { Statement: JsonStatement | JsonStatement[] }).Statement].flat();
