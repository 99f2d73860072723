-- args: upgrade 9c4a71e3f260:e2d85b1c4f96 --sql
-- exit: 1
-- error: AttributeError: 'NoneType' object has no attribute 'all'
-- Running upgrade 9c4a71e3f260 -> e2d85b1c4f96

SELECT invoices.customer_id, sum(invoices.amount_cents) AS sum_1 
FROM invoices 
WHERE invoices.status != 'void' GROUP BY invoices.customer_id ORDER BY invoices.customer_id;

