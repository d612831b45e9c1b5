-- earshot: materialized = table
-- L_p per provider, month, podcast and episode, from the source that speaks
-- for the provider's month (int_provider_months).
SELECT c.provider, c.period AS month, c.podcast_id, c.episode_id, sum(c.listens)::BIGINT AS listens
FROM staging.stg_listen_counts AS c
JOIN intermediate.int_provider_months AS m
  ON m.provider = c.provider AND m.month = c.period AND m.source = 'monthly'
WHERE c.delivery = 'monthly'
GROUP BY ALL
UNION ALL
SELECT d.provider, date_trunc('month', d.day)::DATE AS month, d.podcast_id, d.episode_id, sum(d.listens)::BIGINT
FROM intermediate.int_day_listens AS d
JOIN intermediate.int_provider_months AS m
  ON m.provider = d.provider AND m.month = date_trunc('month', d.day)::DATE AND m.source = 'days'
GROUP BY ALL
