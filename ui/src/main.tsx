/** The UI's entry point (app.js): renders the shell into #root. */
// First, so the session and list requests leave before anything else is evaluated.
import './early.js';
import { render } from 'preact';
import { App } from './app.js';

const root = document.getElementById('root');
if (root !== null) {
  root.textContent = '';
  render(<App />, root);
}
