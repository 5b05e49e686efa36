/** The provider conformance suite (suite.ts) against the docker provider and its backend (targets/docker.ts). */
import target from './targets/docker.js';
import { describeConformance } from './suite.js';

describeConformance(target);
