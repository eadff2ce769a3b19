// A small IndexedDB key-value store: what a scanner page keeps on the phone between visits.

function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export class Store {
  static async open(name) {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => request.result.createObjectStore("records", { keyPath: "key" });
    return new Store(await done(request));
  }

  constructor(db) {
    this.db = db;
  }

  records(mode) {
    return this.db.transaction("records", mode).objectStore("records");
  }

  all() {
    return done(this.records("readonly").getAll());
  }

  put(record) {
    return done(this.records("readwrite").put(record));
  }

  delete(key) {
    return done(this.records("readwrite").delete(key));
  }
}
