/** A group resource as the cluster view is asked for it (mirrors src/store's GroupResource). */
export interface GroupResourceRef {
  group: string;
  resource: string;
}
