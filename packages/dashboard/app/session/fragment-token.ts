/** What `takeFragmentToken` found in a URL fragment. */
export interface FragmentToken {
  /** The token, or undefined when the fragment carries none. */
  readonly token: string | undefined;
  /** The fragment without the token (`''` when nothing else was in it), to put back in the address bar. */
  readonly hash: string;
}

/**
 * Takes `token=…` out of a URL fragment (`#token=JWT`, possibly beside other
 * `key=value` pairs). A link with the token in its fragment logs in without
 * a form, and the fragment never reaches the server or its logs; the caller
 * removes it from the address bar so it stays out of the history too.
 */
export function takeFragmentToken(hash: string): FragmentToken {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  if (fragment === '') return { token: undefined, hash: '' };
  const params = new URLSearchParams(fragment);
  const token = params.get('token')?.trim();
  if (token === undefined) return { token: undefined, hash };
  params.delete('token');
  const rest = params.toString();
  return { token: token === '' ? undefined : token, hash: rest === '' ? '' : `#${rest}` };
}
