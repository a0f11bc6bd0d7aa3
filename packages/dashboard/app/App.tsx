import { useCallback, useEffect, useState } from 'react';
import { LoginForm } from './session/LoginForm';
import { type SessionState, signIn, signOut, takeTokenFromAddress } from './session/session';
import { Dashboard } from './shell/Dashboard';

/** The login form until a token is known, then the dashboard for it. */
export function App({ initial }: { readonly initial: SessionState }) {
  const [state, setState] = useState(initial);
  const onToken = useCallback((token: string) => setState(signIn(token)), []);
  const onSignOut = useCallback((reason?: string) => setState(signOut(reason)), []);

  // A `#token=` link opened in this tab again changes only the fragment: no reload.
  useEffect(() => {
    const onHashChange = () => {
      const token = takeTokenFromAddress();
      if (token !== undefined) setState(signIn(token));
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  if (state.session === undefined) return <LoginForm reason={state.reason} onToken={onToken} />;
  return <Dashboard key={state.session.token} session={state.session} onSignOut={onSignOut} />;
}
