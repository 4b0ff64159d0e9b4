-- SFE_RAW_BILLING.SFE_SALESFORCE_SYNC_TASK: on a schedule, on the environment's warehouse, asks
-- Salesforce (through the external function SFE_SALESFORCE_SYNC, which Terraform creates) for the
-- billing accounts and MERGEs them into SALESFORCE_ACCOUNTS on sfdc_account_id. A row is written only
-- when it is new or one of its fields differs, and synced_at records when that happened, so running
-- the task twice on the same answer changes nothing.
--
-- The function's answer is one Salesforce query response (the gateway pages through the REST API):
-- {"totalSize": n, "done": true, "records": [{"Id", "Name", "YSG_Account_Id__c", "Billing_Email__c",
-- "Phone", "BillingCountryCode", "Owner": {"Name"}}, ...]}; data/salesforce/sample_responses.json is
-- one such answer, over which `ysg up` runs this same MERGE on the emulator (ysg/salesforce_sync.py).
--
-- The task is owned by the role that runs the hooks (the environment's pipeline role) and runs as
-- it: "Snowflake executes tasks with the privileges of the task owner" and the owner needs EXECUTE
-- TASK on the account to run it ("Troubleshooting tasks", https://docs.snowflake.com/user-guide/tasks-ts.html);
-- CREATE TASK leaves it suspended until ALTER TASK ... RESUME
-- (https://docs.snowflake.com/en/sql-reference/sql/create-task, https://docs.snowflake.com/sql-reference/sql/alter-task.html).
CREATE OR REPLACE TASK {{ identifier:database }}.SFE_RAW_BILLING.SFE_SALESFORCE_SYNC_TASK
  WAREHOUSE = {{ identifier:warehouse }}
  SCHEDULE = {{ literal:schedule }}
  COMMENT = 'Salesforce billing accounts into SALESFORCE_ACCOUNTS through SFE_SALESFORCE_SYNC'
AS
MERGE INTO {{ identifier:database }}.SFE_RAW_BILLING.SALESFORCE_ACCOUNTS AS t
USING (
    SELECT
        r.value:YSG_Account_Id__c::NUMBER(38,0) AS account_id,
        r.value:Id::VARCHAR AS sfdc_account_id,
        r.value:Name::VARCHAR AS account_name,
        r.value:Billing_Email__c::VARCHAR AS billing_email,
        r.value:Phone::VARCHAR AS billing_phone,
        r.value:BillingCountryCode::VARCHAR AS billing_country,
        r.value:Owner.Name::VARCHAR AS account_owner
    FROM (
        SELECT {{ identifier:database }}.SFE_RAW_BILLING.SFE_SALESFORCE_SYNC(
                   OBJECT_CONSTRUCT('sobject', 'Account',
                                    'fields', ARRAY_CONSTRUCT('Id', 'Name', 'YSG_Account_Id__c', 'Billing_Email__c',
                                                              'Phone', 'BillingCountryCode', 'Owner.Name'))) AS response
    ) AS api,
    LATERAL FLATTEN(input => api.response:records) AS r
    -- One row per Salesforce id, the last one of the answer, so the MERGE is deterministic.
    QUALIFY ROW_NUMBER() OVER (PARTITION BY r.value:Id::VARCHAR ORDER BY r.index DESC) = 1
) AS s
ON t.sfdc_account_id = s.sfdc_account_id
WHEN MATCHED AND (t.account_id IS DISTINCT FROM s.account_id
                  OR t.account_name IS DISTINCT FROM s.account_name
                  OR t.billing_email IS DISTINCT FROM s.billing_email
                  OR t.billing_phone IS DISTINCT FROM s.billing_phone
                  OR t.billing_country IS DISTINCT FROM s.billing_country
                  OR t.account_owner IS DISTINCT FROM s.account_owner) THEN UPDATE SET
    account_id = s.account_id,
    account_name = s.account_name,
    billing_email = s.billing_email,
    billing_phone = s.billing_phone,
    billing_country = s.billing_country,
    account_owner = s.account_owner,
    synced_at = CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
WHEN NOT MATCHED THEN INSERT
    (account_id, sfdc_account_id, account_name, billing_email, billing_phone, billing_country, account_owner, synced_at)
VALUES
    (s.account_id, s.sfdc_account_id, s.account_name, s.billing_email, s.billing_phone, s.billing_country,
     s.account_owner, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ);

ALTER TASK {{ identifier:database }}.SFE_RAW_BILLING.SFE_SALESFORCE_SYNC_TASK RESUME;
