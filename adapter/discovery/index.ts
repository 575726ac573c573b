/**
 * Discovery: the APIGroupList, APIGroup and APIResourceList documents of the three metrics groups.
 * @module
 */
export { discoveryRouter, type DiscoveryRoutesOptions } from './router.js';
export {
  API_GROUPS,
  CUSTOM_GROUP,
  CUSTOM_PLACEHOLDER,
  EXTERNAL_GROUP,
  EXTERNAL_PLACEHOLDER,
  METRICS_GROUP,
  apiGroupListJson,
  customResources,
  externalResources,
  type ApiGroupSpec,
  type ApiResource,
} from './documents.js';
