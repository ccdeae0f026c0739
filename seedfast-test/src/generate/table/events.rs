//! Event logs: rows grouped per aggregate, versions 1..n and strictly
//! increasing timestamps.

use super::*;

impl TableGen<'_> {
    pub(super) fn event_log(&mut self) -> Result<()> {
        let Some(log) = &self.tp.event_log else { return Ok(()) };
        let mut rng = self.rng("#events");
        let agg_ty = self.t.columns[log.aggregate].ty.base().clone();
        let mut events: Vec<(Value, i64, Option<String>)> = Vec::with_capacity(self.n);
        let mut aggregate = 0i64;
        while events.len() < self.n {
            aggregate += 1;
            let max = if log.types.is_empty() { 5 } else { log.types.len() };
            let size = rng.random_range(1..=max).min(self.n - events.len());
            let id = match agg_ty {
                SqlType::Uuid => Value::Uuid(realistic::uuid(&mut rng)),
                SqlType::Int2 | SqlType::Int4 | SqlType::Int8 => Value::Int(aggregate),
                _ => Value::Text(format!("agg-{aggregate:06}")),
            };
            for v in 1..=size as i64 {
                events.push((id.clone(), v, log.types.get(v as usize - 1).cloned()));
            }
        }
        // Each aggregate starts somewhere in the window and its events follow
        // at increasing offsets; the log is then ordered by time and nudged
        // to be strictly increasing, which keeps each aggregate's order.
        let (start, end) = self.window;
        let mut times: Vec<DateTime<Utc>> = Vec::with_capacity(self.n);
        let mut current = start;
        for (i, (_, v, _)) in events.iter().enumerate() {
            if *v == 1 {
                current = realistic::instant(&mut rng, start, end - Duration::hours(6));
            }
            current += Duration::seconds(rng.random_range(1..3600));
            times.push(current);
            let _ = i;
        }
        let mut order: Vec<usize> = (0..self.n).collect();
        order.sort_by_key(|&i| (times[i], i));
        let mut last: Option<DateTime<Utc>> = None;
        let mut agg_col = Vec::with_capacity(self.n);
        let mut ver_col = Vec::with_capacity(self.n);
        let mut kind_col = Vec::with_capacity(self.n);
        let mut time_col = Vec::with_capacity(self.n);
        for i in order {
            let mut t = times[i];
            if let Some(prev) = last
                && t <= prev
            {
                t = prev + Duration::microseconds(1);
            }
            last = Some(t);
            agg_col.push(events[i].0.clone());
            ver_col.push(Value::Int(events[i].1));
            kind_col.push(events[i].2.clone().map(Value::Text).unwrap_or(Value::Null));
            time_col.push(self.time_value(log.time.unwrap_or(usize::MAX), t));
        }
        self.columns[log.aggregate] = Some(agg_col);
        if let Some(c) = log.version {
            self.columns[c] = Some(ver_col);
        }
        if let Some(c) = log.kind {
            self.columns[c] = Some(kind_col);
        }
        if let Some(c) = log.time {
            self.columns[c] = Some(time_col);
        }
        Ok(())
    }
}
