-- 1: experiments, runs, params, tags (written by the runs area)
SELECT 1;
