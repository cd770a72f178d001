/**
 * @module renderer/main
 * Entry point: styles, then the React root.
 */
import { StrictMode } from 'react';
import { z } from 'zod';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles/tokens.css';
import './styles/base.css';
import './styles/app.css';
import './styles/onboarding.css';
import './styles/sidebar.css';
import './styles/chat.css';
import './styles/dialogs.css';
import './styles/nav.css';
import './styles/node.css';
import './styles/sealing.css';

// The CSP forbids eval; tell zod not to probe for it (no JIT-compiled validators).
z.config({ jitless: true });

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
