/**
 * The outputs each composite action declares. The generator writes them into the action.yml and
 * the report writes exactly these to GITHUB_OUTPUT, so what the README promises is what a step gets.
 */
import type { ActionCommand } from './action-inputs.js';

const NAME: [string, string] = ['name', 'Preview name.'];
const URL_: [string, string] = ['url', 'Preview URL.'];
const APP_ID: [string, string] = ['app-id', 'Id of the preview app on the platform.'];
const CREATED: [string, string] = ['created', '"true" when this run created the app.'];
const DEPLOYED: [string, string] = ['deployed', '"true" when a deployment ran, "false" when the commit was already live.'];
const COMMIT: [string, string] = ['commit', 'Commit SHA the preview runs.'];

export const ACTION_OUTPUTS: Record<ActionCommand, Array<[string, string]>> = {
  'ensure-app': [NAME, URL_, APP_ID, CREATED, ['changed', '"true" when this run created or changed the app.']],
  'set-domain': [NAME, URL_, APP_ID, ['changed', '"true" when this run attached a domain.']],
  deploy: [NAME, URL_, APP_ID, DEPLOYED, COMMIT],
  up: [NAME, URL_, APP_ID, CREATED, ['changed', '"true" when this run changed the app or its domains.'], DEPLOYED, COMMIT],
  stop: [NAME, ['deleted', '"true" when something was removed, "false" when the preview was already gone.'], ['removed', 'What was removed, comma separated.']],
  prune: [
    ['removed', 'Names of the previews removed (in a dry run: that would be), comma separated.'],
    ['kept', 'Names of the previews kept, comma separated.'],
  ],
};
