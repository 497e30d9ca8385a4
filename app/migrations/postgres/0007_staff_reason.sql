-- A head's order admitting a staff member's child carries its reason. The order's number is
-- public (the referral is flagged in the protocol); the reason is for the department's audit.
ALTER TABLE referrals ADD COLUMN staff_reason TEXT;
