import { render } from 'preact';
import { App } from './app.js';
import { loadDeployment } from './aws-sign-in.js';
import { followLinksInPlace } from './router.js';
import './styles.css';

const root = document.getElementById('app');
if (root) {
  // A deployed /config.json (AWS) says how to sign in; without one the console uses the local runtime's sign-in.
  void loadDeployment().then(() => {
    root.textContent = '';
    followLinksInPlace(document.body);
    render(<App />, root);
  });
}
