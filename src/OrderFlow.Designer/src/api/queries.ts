import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from './client';
import type { ActivityDescriptor, WorkflowDefinition } from './types';

const LIVE_MS = 2000;

export const keys = {
  me: ['me'] as const,
  descriptors: ['activity-descriptors'] as const,
  definitions: ['workflow-definitions'] as const,
  versions: (id: string) => ['workflow-definitions', id, 'versions'] as const,
  version: (id: string, version: number) => ['workflow-definitions', id, 'versions', version] as const,
  draft: (id: string) => ['workflow-definitions', id, 'draft'] as const,
  instances: (filter: object) => ['workflow-instances', filter] as const,
  instance: (id: string) => ['workflow-instances', id] as const,
  journal: (id: string, version: string) => ['workflow-instances', id, 'journal', version] as const,
  incidents: ['incidents'] as const,
};

export function useMe() {
  return useQuery({
    queryKey: keys.me,
    queryFn: async () => {
      const result = await api.GET('/api/auth/me');
      return result.response.status === 401 ? null : unwrap(result);
    },
    staleTime: 60_000,
  });
}

export function useDescriptors() {
  return useQuery({
    queryKey: keys.descriptors,
    queryFn: async () => unwrap(await api.GET('/api/activity-descriptors')),
    staleTime: Infinity,
    select: (list: ActivityDescriptor[]) => new Map(list.map((d) => [d.type, d])),
  });
}

export function useDefinitions() {
  return useQuery({ queryKey: keys.definitions, queryFn: async () => unwrap(await api.GET('/api/workflow-definitions')) });
}

export function useVersions(id: string) {
  return useQuery({ queryKey: keys.versions(id), queryFn: async () => unwrap(await api.GET('/api/workflow-definitions/{id}/versions', { params: { path: { id } } })) });
}

export async function fetchVersion(id: string, version: number): Promise<WorkflowDefinition> {
  return unwrap(await api.GET('/api/workflow-definitions/{id}/versions/{version}', { params: { path: { id, version } } }));
}

/** The draft if there is one, else the latest version, else null (a new workflow). */
export async function fetchEditable(id: string): Promise<{ definition: WorkflowDefinition; source: 'draft' | 'version' } | null> {
  const draft = await api.GET('/api/workflow-definitions/{id}/draft', { params: { path: { id } } });
  if (draft.response.ok && draft.data) return { definition: draft.data, source: 'draft' };
  const versions = unwrap(await api.GET('/api/workflow-definitions/{id}/versions', { params: { path: { id } } }));
  const latest = Math.max(0, ...versions.map((v) => Number(v.version)));
  return latest > 0 ? { definition: await fetchVersion(id, latest), source: 'version' } : null;
}

export function useVersion(id: string, version: number | null) {
  return useQuery({
    queryKey: keys.version(id, version ?? 0),
    queryFn: () => fetchVersion(id, version!),
    enabled: version !== null && version > 0,
    staleTime: Infinity,
  });
}

export function useInstances(filter: { status?: string; definitionId?: string; correlationId?: string }) {
  return useQuery({
    queryKey: keys.instances(filter),
    queryFn: async () => unwrap(await api.GET('/api/workflow-instances', { params: { query: { ...filter, limit: 200 } } })),
    refetchInterval: LIVE_MS * 2,
  });
}

const isLive = (status: string | undefined) => status === 'Running' || status === 'Waiting' || status === 'Faulted';

export function useInstance(id: string) {
  return useQuery({
    queryKey: keys.instance(id),
    queryFn: async () => unwrap(await api.GET('/api/workflow-instances/{id}', { params: { path: { id } } })),
    refetchInterval: (query) => (isLive(query.state.data?.status) ? LIVE_MS : false),
  });
}

/** The journal, refetched whenever the instance moved (`updatedAt` changed) and while it is live. */
export function useJournal(id: string, live: boolean, updatedAt: string | undefined) {
  return useQuery({
    queryKey: keys.journal(id, updatedAt ?? ''),
    placeholderData: (previous) => previous,
    queryFn: async () => unwrap(await api.GET('/api/workflow-instances/{id}/journal', { params: { path: { id } } })),
    refetchInterval: live ? LIVE_MS : false,
  });
}

export function useIncidents() {
  return useQuery({ queryKey: keys.incidents, queryFn: async () => unwrap(await api.GET('/api/incidents')), refetchInterval: LIVE_MS * 2 });
}

/** Retry, skip and cancel: each refreshes the incident list and the instance it touched. */
export function useIncidentActions() {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: ['incidents'] }).then(() => client.invalidateQueries({ queryKey: ['workflow-instances'] }));
  return {
    retry: useMutation({
      mutationFn: async (incidentId: string) => unwrap(await api.POST('/api/incidents/{id}/retry', { params: { path: { id: incidentId } } })),
      onSettled: refresh,
    }),
    skip: useMutation({
      mutationFn: async (v: { incidentId: string; outcome: string }) =>
        unwrap(await api.POST('/api/incidents/{id}/skip', { params: { path: { id: v.incidentId } }, body: { outcome: v.outcome } })),
      onSettled: refresh,
    }),
    cancel: useMutation({
      mutationFn: async (instanceId: string) => unwrap(await api.POST('/api/workflow-instances/{id}/cancel', { params: { path: { id: instanceId } } })),
      onSettled: refresh,
    }),
  };
}

/** Filters of the orders list, as the API takes them. */
export interface OrderFilter {
  status?: string;
  merchant?: string;
  supplier?: string;
  attention?: boolean;
  q?: string;
  olderThanMinutes?: number;
}

export function useOrders(filter: OrderFilter) {
  return useInfiniteQuery({
    queryKey: ['orders', filter],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(await api.GET('/api/orders', { params: { query: { ...filter, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: LIVE_MS * 2,
  });
}

export function useOrderStats() {
  return useQuery({ queryKey: ['orders', 'stats'], queryFn: async () => unwrap(await api.GET('/api/orders/stats')), refetchInterval: LIVE_MS * 2 });
}

export function useOrder(id: string) {
  return useQuery({
    queryKey: ['orders', id],
    queryFn: async () => unwrap(await api.GET('/api/orders/{id}', { params: { path: { id } } })),
    refetchInterval: (query) => (['delivered', 'cancelled'].includes(query.state.data?.status ?? '') ? false : LIVE_MS),
  });
}

export function useMerchants() {
  return useQuery({ queryKey: ['merchants'], queryFn: async () => unwrap(await api.GET('/api/merchants')) });
}

export function useRoutingRules(merchantId: string) {
  return useQuery({
    queryKey: ['routing-rules', merchantId],
    queryFn: async () => unwrap(await api.GET('/api/merchants/{merchantId}/routing-rules', { params: { path: { merchantId } } })),
  });
}

export function useSubscriptions(merchantId: string) {
  return useQuery({
    queryKey: ['subscriptions', merchantId],
    queryFn: async () => unwrap(await api.GET('/api/merchants/{merchantId}/subscriptions', { params: { path: { merchantId } } })),
    refetchInterval: LIVE_MS * 5,
  });
}

export function useMerchantNotices(merchantId: string) {
  return useQuery({
    queryKey: ['subscriptions', merchantId, 'notices'],
    queryFn: async () => unwrap(await api.GET('/api/merchants/{merchantId}/notices', { params: { path: { merchantId } } })),
    refetchInterval: LIVE_MS * 5,
  });
}

/** A subscription's delivery log, newest first, paged by the last id seen; refreshed while the page is open. */
export function useDeliveries(merchantId: string, id: string, status: string | undefined) {
  return useInfiniteQuery({
    queryKey: ['subscriptions', merchantId, id, 'deliveries', status ?? ''],
    initialPageParam: undefined as number | undefined,
    queryFn: async ({ pageParam }) => unwrap(await api.GET('/api/merchants/{merchantId}/subscriptions/{id}/deliveries', {
      params: { path: { merchantId, id }, query: { limit: 50, ...(status ? { status } : {}), ...(pageParam ? { before: pageParam } : {}) } },
    })),
    getNextPageParam: (last) => (last.length === 50 ? Number(last[last.length - 1]!.id) : undefined),
    refetchInterval: LIVE_MS,
  });
}
