-- SFE_STG_TELECOM.SFE_PII_MASK: masks the PII columns of SALESFORCE_ACCOUNTS (billing e-mail and
-- phone) for every role but the ones that own or load the data. Created masked-by-default, then its
-- body is set, so the policy is never attached in a permissive state. FORCE re-attaches it in place.
CREATE MASKING POLICY IF NOT EXISTS {{ identifier:database }}.SFE_STG_TELECOM.SFE_PII_MASK
  AS (val VARCHAR) RETURNS VARCHAR -> '***MASKED***'
  COMMENT = 'PII of SALESFORCE_ACCOUNTS, visible to the admin, engineer and ingest roles only';

ALTER MASKING POLICY {{ identifier:database }}.SFE_STG_TELECOM.SFE_PII_MASK SET BODY ->
  CASE
    WHEN IS_ROLE_IN_SESSION({{ literal:admin_role }})
      OR IS_ROLE_IN_SESSION({{ literal:engineer_role }})
      OR IS_ROLE_IN_SESSION({{ literal:ingest_role }})
    THEN val
    ELSE '***MASKED***'
  END;

ALTER TABLE {{ identifier:database }}.SFE_RAW_BILLING.SALESFORCE_ACCOUNTS
  MODIFY COLUMN BILLING_EMAIL SET MASKING POLICY {{ identifier:database }}.SFE_STG_TELECOM.SFE_PII_MASK FORCE;

ALTER TABLE {{ identifier:database }}.SFE_RAW_BILLING.SALESFORCE_ACCOUNTS
  MODIFY COLUMN BILLING_PHONE SET MASKING POLICY {{ identifier:database }}.SFE_STG_TELECOM.SFE_PII_MASK FORCE;
