// The attendee app on each of its pages: the phone's programme, stars and saved stands, the views made from
// them, and the live connection that keeps them current.

import { config } from "./config.js";
import * as filters from "./filters.js";
import { connect } from "./live.js";
import * as nownext from "./nownext.js";
import * as push from "./push.js";
import { showConnection } from "./offline.js";
import * as schedule from "./schedule.js";
import * as stands from "./stands.js";
import * as stars from "./stars.js";
import * as talks from "./talks.js";
import * as timeindex from "./timeindex.js";
import * as updates from "./updates.js";

updates.showCurrent();
stars.start();
stands.start();
push.start();
schedule.start();
nownext.start();
filters.start();
timeindex.start();
talks.refresh().then(updates.showCurrent).catch(() => { /* offline: the saved programme */ });
connect(config.socket, updates.since, updates.apply, (up) => {
  showConnection(up);
  if (up) {
    stars.sync();
    stands.sync();
  }
});
