import { render } from 'preact';
import { App } from './app.js';
import { followLinksInPlace } from './router.js';
import './styles.css';

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  followLinksInPlace(document.body);
  render(<App />, root);
}
