import { describeTemplateProvisioning } from './conformance/template.suite';
import { sqliteServer } from './support/sqlite';

describeTemplateProvisioning('sqlite', sqliteServer);
