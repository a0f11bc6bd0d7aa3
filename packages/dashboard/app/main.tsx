import './styles/app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { sessionFromPage } from './session/session';

// Read before the first render, so a `#token=` leaves the address bar at once.
const initial = sessionFromPage();

const root = document.getElementById('root');
if (root === null) throw new Error('The page has no #root element to render the dashboard into');
createRoot(root).render(
  <StrictMode>
    <App initial={initial} />
  </StrictMode>,
);
