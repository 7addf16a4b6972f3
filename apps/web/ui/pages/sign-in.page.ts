import { ApiError, apiFetch, session } from '../api';
import { h } from '../dom';
import { navigate } from '../main';

/** Paste a bearer token; it is checked against the gateway before the pages use it. */
export function renderSignInPage(main: HTMLElement, signal: AbortSignal): void {
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
  void devSignInEnabled(signal).then((enabled) => {
    if (enabled && !signal.aborted) main.append(devSignInForm(next));
  });
}

/** Whether the gateway runs with GATEWAY_DEV_SIGN_IN (a local run): GET /api/dev/token is a 404 otherwise. */
async function devSignInEnabled(signal: AbortSignal): Promise<boolean> {
  try {
    const response = await fetch('/api/dev/token', { signal });
    if (!response.ok) return false;
    return ((await response.json()) as { enabled?: unknown }).enabled === true;
  } catch {
    return false;
  }
}

/** Local runs only: the gateway mints a token for any user id, so that nobody has to paste one. */
function devSignInForm(next: string | null): HTMLFormElement {
  const error = h('p', { class: 'form-error', role: 'alert', id: 'dev-error' });
  const userId = h('input', {
    id: 'dev-user-id',
    name: 'userId',
    type: 'text',
    required: true,
    maxlength: 128,
    autocomplete: 'off',
    autocapitalize: 'off',
    spellcheck: 'false',
    placeholder: 'demo-admin',
    'aria-describedby': 'dev-help dev-error',
  });
  const admin = h('input', { id: 'dev-admin', name: 'admin', type: 'checkbox' });
  const submit = h('button', { type: 'submit' }, 'Sign in as this user');
  const form = h(
    'form',
    { class: 'card sign-in dev-sign-in', novalidate: true, 'aria-labelledby': 'dev-sign-in-title' },
    h('h2', { id: 'dev-sign-in-title' }, 'Local dev sign-in'),
    h(
      'p',
      { class: 'help', id: 'dev-help' },
      'This gateway runs with ',
      h('code', {}, 'GATEWAY_DEV_SIGN_IN'),
      ': it gives a one-hour token for any user id. Local runs only.',
    ),
    h('label', { for: 'dev-user-id' }, 'User id'),
    userId,
    h('label', { class: 'switch', for: 'dev-admin' }, admin, ' Admin'),
    submit,
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    void (async () => {
      error.textContent = '';
      if (!userId.value.trim()) {
        error.textContent = 'Type a user id first.';
        userId.focus();
        return;
      }
      submit.disabled = true;
      try {
        const response = await apiFetch('/api/dev/token', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ userId: userId.value.trim(), admin: admin.checked }),
        });
        session.signIn(((await response.json()) as { token: string }).token);
      } catch (failure) {
        error.textContent =
          failure instanceof ApiError
            ? failure.failure.kind === 'invalid'
              ? 'The user id must be 1 to 128 characters, without spaces.'
              : failure.failure.message
            : 'Could not get a token.';
        submit.disabled = false;
        userId.focus();
        return;
      }
      navigate(next?.startsWith('/') ? next : '/', true);
    })();
  });
  return form;
}
