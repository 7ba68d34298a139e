import { ClientPage } from './pages/ClientPage';
import { ClientsPage } from './pages/ClientsPage';
import { DassEntryPage } from './pages/DassEntryPage';
import { DocPage } from './pages/DocPage';
import { ImportPage } from './pages/ImportPage';
import { SelfCarePage } from './pages/SelfCarePage';
import { SessionPage } from './pages/SessionPage';
import { SettingsPage } from './pages/SettingsPage';
import { useRoute } from './router';
import { ClientModeScreen } from './selfcare/ClientModeScreen';
import { useClientMode } from './selfcare/client-mode-state';

export function App() {
  const route = useRoute();
  // Client mode (self-care hand-over) replaces the whole app; nothing shows until the service has said whether it is on.
  const clientMode = useClientMode().status;
  if (clientMode === undefined) return null;
  if (clientMode?.active) return <ClientModeScreen status={clientMode} />;
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
        {route.page === 'clients' && <ClientsPage />}
        {route.page === 'client' && route.id !== null && (route.params.get('tab') === 'selfcare' ? <SelfCarePage clientId={route.id} /> : <ClientPage clientId={route.id} />)}
        {route.page === 'import' && <ImportPage clientId={Number(route.params.get('client')) || null} />}
        {route.page === 'session' && route.id !== null && <SessionPage sessionId={route.id} />}
        {route.page === 'dass' && <DassEntryPage clientId={Number(route.params.get('client'))} />}
        {route.page === 'settings' && <SettingsPage />}
        {route.page === 'doc' && <DocPage doc={route.slug} id={route.params.get('id')} section={route.params.get('section')} />}
      </main>
    </div>
  );
}
