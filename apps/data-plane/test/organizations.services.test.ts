import { MYSQL_URL, POSTGRES_URL } from '@hellojohn/testing';
import { organizationsSuite } from './organizations.suite';
import { onTenantServer } from './support/on-tenant-server';

jest.setTimeout(120_000);

organizationsSuite('organizations on PostgreSQL', onTenantServer(POSTGRES_URL));
organizationsSuite('organizations on MariaDB', onTenantServer(MYSQL_URL));
