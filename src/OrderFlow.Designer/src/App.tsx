import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { setUnauthorizedHandler } from './api/client';
import { keys, useMe } from './api/queries';
import { LoginPage } from './components/LoginPage';
import { SessionContext } from './components/Session';
import { Shell } from './components/Shell';
import { DesignerPage } from './designer/DesignerPage';
import { DiffPage } from './designer/DiffPage';
import { WorkflowsPage } from './designer/WorkflowsPage';
import { IncidentsPage } from './operations/IncidentsPage';
import { InstancePage } from './operations/InstancePage';
import { InstancesPage } from './operations/InstancesPage';
import { MerchantsPage } from './operations/MerchantsPage';
import { OrderPage } from './operations/OrderPage';
import { OrdersPage } from './operations/OrdersPage';
import { RoutingRulesPage } from './operations/RoutingRulesPage';
import { SubscriptionsPage } from './operations/SubscriptionsPage';
import { SuppliersPage } from './operations/SuppliersPage';

export function App() {
  const me = useMe();
  const client = useQueryClient();
  useEffect(() => setUnauthorizedHandler(() => client.setQueryData(keys.me, null)), [client]);

  if (me.isPending) return <div className="loading">Loading…</div>;
  if (!me.data) return <LoginPage />;
  return (
    <SessionContext.Provider value={me.data}>
      <Shell>
        <Routes>
          <Route path="/" element={<Navigate to="/orders" replace />} />
          <Route path="/login" element={<Navigate to="/orders" replace />} />
          <Route path="/orders" element={<OrdersPage />} />
          <Route path="/orders/:id" element={<OrderPage />} />
          <Route path="/incidents" element={<IncidentsPage />} />
          <Route path="/merchants" element={<MerchantsPage />} />
          <Route path="/merchants/:merchant/routing" element={<RoutingRulesPage />} />
          <Route path="/merchants/:merchant/webhooks" element={<SubscriptionsPage />} />
          <Route path="/suppliers" element={<SuppliersPage />} />
          <Route path="/instances" element={<InstancesPage />} />
          <Route path="/instances/:id" element={<InstancePage />} />
          <Route path="/workflows" element={<WorkflowsPage />} />
          <Route path="/workflows/:id" element={<DesignerPage />} />
          <Route path="/workflows/:id/diff" element={<DiffPage />} />
          <Route path="*" element={<div className="empty">Nothing here. <a href="/">Back to the console</a></div>} />
        </Routes>
      </Shell>
    </SessionContext.Provider>
  );
}
