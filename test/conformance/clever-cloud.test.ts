/** The provider conformance suite (suite.ts, suite-lifecycle.ts) against the clever-cloud provider and its backend (targets/clever-cloud.ts). */
import target from './targets/clever-cloud.js';
import { describeLifecycle } from './suite-lifecycle.js';
import { describeConformance } from './suite.js';

describeConformance(target);
describeLifecycle(target);
