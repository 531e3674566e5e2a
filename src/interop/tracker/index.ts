/** The issue-tracker formats of `dossier import` (issue 15). */
export { type GitHubIssueOptions, readGitHubIssues } from './github.js';
export { adfToMarkdown } from './jira-adf.js';
export { readJiraCsv } from './jira-csv.js';
export { readJiraJson } from './jira-json.js';
