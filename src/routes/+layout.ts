// The whole app runs in the browser: prerender an empty shell, render on the client.
export const prerender = true;
export const ssr = false;
