/**
 * The one script of the admin center and /me pages: the Set PIN form's PIN
 * field is enabled only for "Manually enter a specific PIN" and checked
 * against the user's policy as it is typed (a same-origin JSON post with
 * the form's CSRF token), and the Copy button copies a new PIN. Without the
 * script the forms still work: the server checks everything again.
 */

const CHECK_DELAY_MS = 150;

function wireSetPinForm(form: HTMLFormElement): void {
  const field = form.querySelector<HTMLInputElement>('input[name="pin"][data-check-url]');
  const status = form.querySelector<HTMLElement>('#pin-check');
  const csrf = form.querySelector<HTMLInputElement>('input[name="csrf"]')?.value ?? '';
  if (!field || !status) return;
  const checkUrl = field.dataset.checkUrl!;
  const manual = () => form.querySelector<HTMLInputElement>('input[name="mode"][value="manual"]')?.checked === true;
  const sync = () => {
    field.disabled = !manual();
    field.required = manual();
    if (!manual()) {
      status.textContent = '';
      delete status.dataset.ok;
    }
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;
  const check = async () => {
    const ticket = ++latest;
    const response = await fetch(checkUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify({ pin: field.value }),
      credentials: 'same-origin',
      cache: 'no-store',
    });
    if (ticket !== latest) return;
    if (!response.ok) {
      status.textContent = response.status === 401 ? 'You have been signed out; sign in again.' : 'The PIN cannot be checked now.';
      status.dataset.ok = 'false';
      return;
    }
    const answer = (await response.json()) as { ok: boolean; text: string };
    if (ticket !== latest) return;
    status.textContent = answer.text;
    status.dataset.ok = String(answer.ok);
  };
  field.addEventListener('input', () => {
    clearTimeout(timer);
    if (field.value === '') {
      latest++;
      status.textContent = '';
      delete status.dataset.ok;
      return;
    }
    timer = setTimeout(() => void check().catch(() => (status.textContent = 'The PIN cannot be checked now.')), CHECK_DELAY_MS);
  });
  for (const radio of form.querySelectorAll<HTMLInputElement>('input[name="mode"]')) {
    radio.addEventListener('change', () => {
      sync();
      if (manual()) field.focus();
    });
  }
  sync();
}

function wireCopyButton(button: HTMLButtonElement): void {
  const source = document.getElementById(button.dataset.copy!);
  const status = document.getElementById('copy-status');
  if (!source || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener('click', () => {
    navigator.clipboard.writeText(source.textContent ?? '').then(
      () => status && (status.textContent = 'Copied.'),
      () => status && (status.textContent = 'The browser did not allow copying; select the PIN instead.'),
    );
  });
}

for (const form of document.querySelectorAll<HTMLFormElement>('form.set-pin')) wireSetPinForm(form);
for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-copy]')) wireCopyButton(button);
