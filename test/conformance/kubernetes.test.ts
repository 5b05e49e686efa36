/** The provider conformance suite (suite.ts) against the kubernetes provider and its backend (targets/kubernetes.ts). */
import target from './targets/kubernetes.js';
import { describeConformance } from './suite.js';

describeConformance(target);
