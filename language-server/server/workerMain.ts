/** Entry of dist/analysis-worker.js: the worker thread that analyses large documents. */
import { serveAnalysisJobs } from './analysisWorker';

serveAnalysisJobs();
