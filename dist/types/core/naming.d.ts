import type { PreviewIdentity } from './identity.js';
export interface NameInput {
    /** Base name of the project, e.g. the repository name. */
    app: string;
    /** Branch or ref name, raw (e.g. `feature/Login_Page`). Ignored when `pr` is given. */
    branch?: string;
    /** Pull/merge request number: the name then reads `<app>-pr-<n>`. */
    pr?: number;
    /** Optional prefix, e.g. `review`. */
    prefix?: string;
}
/** Lowercase, runs of anything outside [a-z0-9] become one `-`, no `-` at either end. */
export declare function slugify(text: string): string;
/**
 * The preview's name: `[prefix-]app-branch`, a DNS label of at most 63 characters. When the
 * branch had to be changed to fit (case, characters, length), a short hash of the raw branch is
 * appended so that `feature/a_b` and `feature/a-b` never share a preview.
 */
export declare function previewName(input: NameInput): string;
/** The name of the preview an identity describes. */
export declare function nameOfIdentity(identity: PreviewIdentity): string;
export interface UrlInput {
    name: string;
    app: string;
    branch?: string;
    pr?: number;
    /** Placeholders a provider adds, e.g. `{ domain: 'review.example.com' }`. */
    extra?: Record<string, string>;
}
/**
 * Expands a domain template: `{name}`, `{app}`, `{branch}` (slugified), `{pr}`.
 * `{name}.preview.example.com` → `my-app-feature-x.preview.example.com`.
 */
export declare function expandDomain(template: string, input: UrlInput): string;
