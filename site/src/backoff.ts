/**
 * Waits between polls for a ticket's analysis: quick at first (the analysis usually lands within a second or two
 * of the stream delivering the ticket), then doubling to a ceiling, and a bounded number of tries so a stuck
 * analysis does not poll forever (the page then offers "Check again").
 */
export const POLL_DELAYS_MS: readonly number[] = [1000, 2000, 4000, 8000, 15000, 15000, 15000, 15000];

/** The wait before poll `attempt` (0-based), or undefined once the tries are used up. */
export function pollDelay(attempt: number): number | undefined {
    return POLL_DELAYS_MS[attempt];
}

/** Waits before retrying a request that failed on the network or with a retryable status. */
export const RETRY_DELAYS_MS: readonly number[] = [500, 1500];
