// For pages with no script of their own (sign-in, a lead): focus the error summary when there is
// one (static/js/focus.js).
import { focusOnLoad } from "./focus.js";

focusOnLoad();
