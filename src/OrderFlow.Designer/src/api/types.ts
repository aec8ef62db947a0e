import type { components } from './schema';

type Schemas = components['schemas'];

export type ActivityDescriptor = Schemas['ActivityDescriptor'];
export type InputDescriptor = Schemas['InputDescriptor'];
export type WorkflowDefinition = Schemas['WorkflowDefinition'];
export type ActivityNode = Schemas['ActivityNode'];
export type Connection = Schemas['Connection'];
export type ValidationError = Schemas['ValidationError'];
export type JournalEntry = Schemas['JournalEntry'];
export type InstanceDetails = Schemas['InstanceDetails'];
export type InstanceSummary = Schemas['InstanceSummary'];
export type IncidentSummary = Schemas['IncidentSummary'];
export type VersionSummary = Schemas['VersionSummary'];
export type DefinitionSummary = Schemas['DefinitionSummary'];
export type CurrentUser = Schemas['CurrentUser'];
export type Role = 'viewer' | 'editor' | 'admin';
export type OrderSummary = Schemas['OrderSummary'];
export type OrderDetails = Schemas['OrderDetails'];
export type OrderStats = Schemas['OrderStats'];
export type ParcelView = Schemas['ParcelView'];
export type RoutingRule = Schemas['RoutingRule'];
export type RoutingPlan = Schemas['RoutingPlan'];
export type IntakeOrder = Schemas['IntakeOrder'];
export type WebhookSubscription = Schemas['WebhookSubscriptionView'];
export type WebhookDelivery = Schemas['WebhookDeliveryLogEntry'];
export type MerchantNotice = Schemas['MerchantNotice'];
