Promise.allSettled([Promise.resolve(1), Promise.reject(new Error('no')), new Promise(r => setTimeout(r, 5, 3))])
  .then(rs => rs.map(r => r.status === 'fulfilled' ? r.value : r.reason.message))
