import { ApiError, apiFetch, session } from '../api';
import { h } from '../dom';
import { navigate } from '../main';

/** Paste a bearer token; it is checked against the gateway before the pages use it. */
export function renderSignInPage(main: HTMLElement): void {
  const next = new URLSearchParams(location.search).get('next');
  const error = h('p', { class: 'form-error', role: 'alert', id: 'token-error' });
  const input = h('textarea', {
    id: 'token',
    name: 'token',
    rows: 4,
    required: true,
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': 'token-help token-error',
  });
  const form = h(
    'form',
    { class: 'card sign-in', novalidate: true },
    h('h1', {}, 'Sign in'),
    h('label', { for: 'token' }, 'Bearer token'),
    input,
    h(
      'p',
      { class: 'help', id: 'token-help' },
      'Paste the token the gateway accepts (locally: ',
      h('code', {}, 'npm run token -- --user <id> [--admin]'),
      '). It is kept in this tab only.',
    ),
    h('button', { type: 'submit' }, 'Sign in'),
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      error.textContent = '';
      if (!input.value.trim()) {
        error.textContent = 'Paste a token first.';
        input.focus();
        return;
      }
      session.signIn(input.value);
      try {
        await apiFetch('/api/users/me/activity?limit=1');
      } catch (failure) {
        session.signOut();
        error.textContent =
          failure instanceof ApiError ? failure.failure.message : 'Could not check the token.';
        input.focus();
        return;
      }
      navigate(next?.startsWith('/') ? next : '/', true);
    })();
  });
  main.replaceChildren(form);
  input.focus();
}
