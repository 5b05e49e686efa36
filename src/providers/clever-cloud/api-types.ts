/**
 * The shapes of the Clever Cloud API v2 that the provider reads and sends: the fields we use of
 * the application, deployment, add-on and summary views, and the create and update bodies.
 */
export interface CleverFlavor {
  name: string;
}

export interface CleverVhost {
  fqdn: string;
}

/** The fields we use of the API's application view. */
export interface CleverApp {
  id: string;
  name: string;
  description?: string;
  zone?: string;
  ownerId?: string;
  instance?: {
    type?: string;
    version?: string;
    variant?: { id?: string; slug?: string };
    minInstances?: number;
    maxInstances?: number;
    minFlavor?: CleverFlavor;
    maxFlavor?: CleverFlavor;
  };
  deployment?: { httpUrl?: string; url?: string; repoState?: string };
  vhosts?: CleverVhost[];
  /** Milliseconds since the epoch. */
  creationDate?: number | string;
  separateBuild?: boolean;
  buildFlavor?: CleverFlavor | null;
  /** Commit of the running instances. */
  commitId?: string | null;
  state?: string;
}

export type DeploymentState = 'WIP' | 'OK' | 'FAIL' | 'CANCELLED' | 'TASK_RUNNING' | string;

export interface CleverDeployment {
  uuid: string;
  id?: number;
  state: DeploymentState;
  action?: string;
  commit?: string;
  cause?: string;
  date?: number | string;
}

export interface CleverAddon {
  id: string;
  name: string;
  realId?: string;
  region?: string;
  provider?: { id: string; name?: string };
  plan?: { id: string; slug?: string; name?: string };
  /** Milliseconds since the epoch. */
  creationDate?: number | string;
}

/** `POST …/addons`. No `tags` field exists: tags are written afterwards through the tag routes. */
export interface CreateAddonBody {
  name: string;
  /** Plan id (`plan_…`), not its slug. */
  plan: string;
  providerId: string;
  region: string;
  options: Record<string, string>;
  /** The application to link the new add-on to, in the same request. */
  linkedApp?: string;
}

export interface CleverInstanceProduct {
  type: string;
  version: string;
  enabled: boolean;
  variant?: { id: string; slug: string };
  defaultFlavor?: CleverFlavor;
}

export interface CleverAddonProvider {
  id: string;
  regions?: string[];
  plans?: Array<{ id: string; slug: string; name?: string; price?: number }>;
}

/** An application of `/v2/summary`: its tags (`customerTags`, what the tag routes write), run state and commit. */
export interface CleverSummaryApp {
  id: string;
  name: string;
  /** `SHOULD_BE_UP`, `SHOULD_BE_DOWN` (stopped), `WANTS_TO_BE_UP` (starting), `MODERATED`, `DEFAULT_OF_PAYMENT`. */
  state?: string;
  commit?: string | null;
  customerTags?: string[];
  systemTags?: string[];
}

export interface CleverSummaryAddon {
  id: string;
  name: string;
  realId?: string;
  providerId?: string;
  customerTags?: string[];
}

/** One owner of `/v2/summary`: the user (personal space) or an organisation, with everything it holds. */
export interface CleverSummaryOwner {
  id: string;
  name: string;
  applications?: CleverSummaryApp[];
  addons?: CleverSummaryAddon[];
}

export interface CleverSummary {
  user?: CleverSummaryOwner;
  organisations?: CleverSummaryOwner[];
}

export interface CreateAppBody {
  deploy: 'git';
  name: string;
  description: string;
  zone: string;
  instanceType: string;
  instanceVersion: string;
  instanceVariant: string;
  minFlavor: string;
  maxFlavor: string;
  minInstances: number;
  maxInstances: number;
  instanceLifetime: 'REGULAR';
  env: Record<string, string>;
  tags: string[];
  separateBuild?: boolean;
  buildFlavor?: string;
}

export interface ScalabilityBody {
  minFlavor?: string;
  maxFlavor?: string;
  minInstances?: number;
  maxInstances?: number;
  separateBuild?: boolean;
  buildFlavor?: string;
}
