(async () => {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode('abc'));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
})()
