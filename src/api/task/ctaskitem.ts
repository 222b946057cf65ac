/**
 * task.ctaskitem.*: the task REST service publishes each task.item.* method under its class name
 * too. Same parameters and bodies as task/item.ts (the method name in error texts is the same).
 */
import { defineMethod } from '../../rest/registry.ts';
import { ADD_PARAMS, addTask, listParams, listTasks } from './item.ts';

defineMethod({ name: 'task.ctaskitem.list', scope: 'task', access: 'self', params: listParams('list'), handler: listTasks });

defineMethod({ name: 'task.ctaskitem.getlist', scope: 'task', access: 'self', params: listParams('getlist'), handler: listTasks });

defineMethod({ name: 'task.ctaskitem.add', scope: 'task', access: 'portal', params: ADD_PARAMS, handler: addTask });
