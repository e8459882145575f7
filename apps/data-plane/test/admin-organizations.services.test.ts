import { MYSQL_URL, POSTGRES_URL } from '@hellojohn/testing';
import { adminOrganizationsSuite } from './admin-organizations.suite';
import { onTenantServer } from './support/on-tenant-server';

jest.setTimeout(120_000);

// The search (LIKE with ESCAPE, lower()) and keyset paging are the parts that differ by engine.
adminOrganizationsSuite('on PostgreSQL', () => onTenantServer(POSTGRES_URL)());
adminOrganizationsSuite('on MariaDB', () => onTenantServer(MYSQL_URL)());
