import '../selfcare/selfcare.css';
/** The tabs of a client's page: the overview (trends, sessions, DASS-21) and self-care. */
export function ClientTabs({ clientId, active }: { clientId: number; active: 'overview' | 'selfcare' }) {
  const tab = (id: 'overview' | 'selfcare', label: string, href: string) => (
    <a href={href} className={active === id ? 'client-tab active' : 'client-tab'} aria-current={active === id ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <nav className="client-tabs" aria-label="Client">
      {tab('overview', 'Overview', `#/client/${clientId}`)}
      {tab('selfcare', 'Self-care', `#/client/${clientId}?tab=selfcare`)}
    </nav>
  );
}
