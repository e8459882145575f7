import { describeTemplateProvisioning } from './conformance/template.suite';
import { mysqlServer, postgresServer } from './support/servers';

describeTemplateProvisioning('pg', postgresServer);
describeTemplateProvisioning('mysql', mysqlServer);
