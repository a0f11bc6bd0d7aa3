import { type FormEvent, useId, useState } from 'react';

interface LoginFormProps {
  /** Why the form is shown: a refused, expired or malformed token. */
  readonly reason: string | undefined;
  readonly onToken: (token: string) => void;
}

/** Sign-in with a pasted token, for when the page was opened without `#token=`. */
export function LoginForm({ reason, onToken }: LoginFormProps) {
  const [token, setToken] = useState('');
  const fieldId = useId();
  const reasonId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim() !== '') onToken(token);
  };

  return (
    <main className="bw-login">
      <form
        className="bw-login-form"
        onSubmit={submit}
        aria-describedby={reason ? reasonId : undefined}
      >
        <h1 className="bw-brand">Breakwater</h1>
        <p>
          Sign in with a token from your monitor's operator, or make one with{' '}
          <code>npx breakwater token --role viewer --sub YOUR-NAME</code> (<code>--role admin</code>{' '}
          for the controls).
        </p>
        {reason !== undefined && (
          <p className="bw-alert" role="alert" id={reasonId}>
            {reason}
          </p>
        )}
        <label htmlFor={fieldId}>Token</label>
        <input
          id={fieldId}
          name="token"
          type="password"
          spellCheck={false}
          autoComplete="off"
          value={token}
          onChange={(event) => setToken(event.target.value)}
          placeholder="eyJhbGciOi…"
        />
        <button
          type="submit"
          className="bw-button bw-button-primary"
          disabled={token.trim() === ''}
        >
          Sign in
        </button>
      </form>
    </main>
  );
}
