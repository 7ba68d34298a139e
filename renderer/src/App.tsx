import { ClientPage } from './pages/ClientPage';
import { ClientsPage } from './pages/ClientsPage';
import { DassEntryPage } from './pages/DassEntryPage';
import { ImportPage } from './pages/ImportPage';
import { SessionPage } from './pages/SessionPage';
import { SettingsPage } from './pages/SettingsPage';
import { useRoute } from './router';
import { VaultGate } from './vault/VaultGate';

export function App() {
  const route = useRoute();
  const tab = (page: string, label: string, active: boolean) => (
    <a href={`#/${page}`} className={active ? 'tab active' : 'tab'} aria-current={active ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <div className="app">
      <header className="topbar">
        <strong className="brand">Affect Workstation</strong>
        <nav aria-label="Main">
          {tab('clients', 'Clients', route.page === 'clients' || route.page === 'client' || route.page === 'dass')}
          {tab('import', 'Import', route.page === 'import')}
          {tab('settings', 'Settings', route.page === 'settings')}
        </nav>
        <span className="estimate-note" role="note">
          Expression estimates, not diagnoses · offline
        </span>
      </header>
      <main>
        <VaultGate>
        {route.page === 'clients' && <ClientsPage />}
        {route.page === 'client' && route.id !== null && <ClientPage clientId={route.id} />}
        {route.page === 'import' && <ImportPage clientId={Number(route.params.get('client')) || null} />}
        {route.page === 'session' && route.id !== null && <SessionPage sessionId={route.id} />}
        {route.page === 'dass' && <DassEntryPage clientId={Number(route.params.get('client'))} editId={Number(route.params.get('edit')) || null} />}
        {route.page === 'settings' && <SettingsPage />}
        </VaultGate>
      </main>
    </div>
  );
}
