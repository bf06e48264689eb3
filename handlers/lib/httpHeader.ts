/** Header lookup that does not depend on the case API Gateway or a test used for the name. */
export function header(headers: Record<string, string | undefined> | undefined, name: string): string | undefined {
    if (!headers) return undefined;
    const wanted = name.toLowerCase();
    for (const [key, value] of Object.entries(headers)) {
        if (key.toLowerCase() === wanted) return value;
    }
    return undefined;
}
