/** The UI's entry point (app.js): renders the shell into #root. */
import { render } from 'preact';
import { App } from './app.js';

const root = document.getElementById('root');
if (root !== null) {
  root.textContent = '';
  render(<App />, root);
}
