/** The provider conformance suite (suite.ts) against the clever-cloud provider and its backend (targets/clever-cloud.ts). */
import target from './targets/clever-cloud.js';
import { describeConformance } from './suite.js';

describeConformance(target);
