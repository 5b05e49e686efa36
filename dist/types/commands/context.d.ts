import type { Preview } from '../providers/types.js';
/** The result every command returns; the CLI prints it (text or `--json`) and forges publish it. */
export interface CommandResult {
    command: string;
    name: string;
    id?: string;
    url?: string;
    created?: boolean;
    changed?: boolean;
    deployed?: boolean;
    commit?: string;
    deleted?: boolean;
    removed?: string[];
    exists?: boolean;
    preview?: Preview;
    /** What was done (or, in a dry run, would be done). */
    plan?: string[];
    dryRun?: boolean;
    /** Set when the command reported its result but failed in part (exit 5 for a prune with failures). */
    exitCode?: number;
    /** The one line saying what failed, when `exitCode` is set. */
    failure?: string;
    [key: string]: unknown;
}
