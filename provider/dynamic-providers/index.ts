/** The four provider objects under the names the package has always exported them by. */
import userProvider = require("./user");
import subscriberGroupProvider = require("./subscriber-group");
import clientCredentialProvider = require("./client-credential");
import rotatingClientCredentialProvider = require("./rotating-client-credential");

export { userProvider, subscriberGroupProvider, clientCredentialProvider, rotatingClientCredentialProvider };
