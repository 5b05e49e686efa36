export interface PreviewIdentity {
    /** The project (`--app`), as given. */
    project: string;
    /** The branch the preview serves; unset when it serves a pull/merge request. */
    branch?: string;
    /** The pull/merge request number; set for every preview of a fork's change. */
    pr?: number;
    /**
     * `owner/name` of the head repository when the change comes from a fork. Recorded for people
     * (whose preview is it?), not part of the key: a PR number is already unique in its project, and
     * a fork can be deleted before its pull request is closed.
     */
    fork?: string;
    /** `--prefix`, when one is given. */
    prefix?: string;
}
/**
 * A stable key for the identity: the same project (case aside), prefix and branch or PR always give
 * the same key, and two different ones never do. Version 1 of the form; a new form gets a new
 * version so that keys never change meaning.
 */
export declare function identityKey(identity: PreviewIdentity): string;
/** `shop, branch feature/login`, `shop, pull request #44 from contributor/shop`, `review shop, …`. */
export declare function describeIdentity(identity: PreviewIdentity): string;
