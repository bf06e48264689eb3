import * as z from "zod/mini";
import { ApiError } from "./apiError";
import { PRIORITIES, type Priority } from "./ticket";

// zod/mini rather than zod: the same checks for ~16 KB of the 50 KB handler budget instead of ~85 KB.

/** A required text field, trimmed, of `min` to `max` characters. */
const text = (field: string, min: number, max: number) =>
    z.string({
        error: (issue) => (issue.input === undefined ? `${field} is required.` : `${field} must be a string.`),
    }).check(
        // Trim first so padding cannot satisfy the minimum length.
        z.trim(),
        z.minLength(min, `${field} must be ${min} to ${max} characters.`),
        z.maxLength(max, `${field} must be ${min} to ${max} characters.`),
    );

const submissionSchema = z.strictObject(
    {
        subject: text("subject", 3, 200),
        description: text("description", 10, 5000),
        priority: z._default(z.enum(PRIORITIES, { error: `priority must be one of ${PRIORITIES.join(", ")}.` }), "normal"),
    },
    {
        error: (issue) =>
            issue.code === "unrecognized_keys"
                ? `Unknown field(s): ${truncate(issue.keys.join(", "), 120)}.`
                : "The body must be a JSON object.",
    },
);

export interface TicketSubmission {
    subject: string;
    description: string;
    priority: Priority;
}

/** The validated ticket fields from a parsed JSON body; a 400 listing what is wrong otherwise. */
export function parseTicketSubmission(body: unknown): TicketSubmission {
    const result = z.safeParse(submissionSchema, body);
    if (result.success) return result.data;
    // At most four problems: one per field and one for every unknown field together.
    throw new ApiError(400, "invalid_ticket", result.error.issues.map((issue) => issue.message).join(" "));
}

function truncate(value: string, max: number): string {
    return value.length <= max ? value : `${value.slice(0, max)}…`;
}
