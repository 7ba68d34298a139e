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
import { VaultGate } from './vault/VaultGate';

/**
 * Nothing of the workstation exists until the database is open (VaultGate: first-run setup or the unlock screen);
 * once open, client mode (self-care hand-over), when on, replaces the whole app.
 */
export function App() {
  return (
    <VaultGate>
      <Workstation />
    </VaultGate>
  );
}

function Workstation() {
  const route = useRoute();
  // Nothing shows until the service has said whether client mode is on, so the clinician's pages never flash up.
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
        {route.page === 'client' &&
          route.id !== null &&
          (route.params.get('tab') === 'selfcare' ? <SelfCarePage clientId={route.id} /> : <ClientPage clientId={route.id} />)}
        {route.page === 'import' && <ImportPage clientId={Number(route.params.get('client')) || null} />}
        {route.page === 'session' && route.id !== null && (
          <SessionPage key={route.id} sessionId={route.id} startAt={route.params.has('t') ? Number(route.params.get('t')) : null} />
        )}
        {route.page === 'dass' && <DassEntryPage clientId={Number(route.params.get('client'))} editId={Number(route.params.get('edit')) || null} />}
        {route.page === 'settings' && <SettingsPage />}
        {route.page === 'doc' && <DocPage doc={route.slug} id={route.params.get('id')} section={route.params.get('section')} />}
      </main>
    </div>
  );
}
