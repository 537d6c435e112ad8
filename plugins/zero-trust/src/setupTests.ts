import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The page renders the whole world map on each poll; on the shared 2-core
// machine the first answer can take longer than the default second.
configure({ asyncUtilTimeout: 3000 });
